//! The room in the hub's memory: each member's one-time link and short code, each paired
//! device's session, the requests already applied, the count of wrong codes. Secrets are kept as
//! SHA-256 hashes where the hub only needs to recognise them; nothing here is written to a log.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use base64::Engine;
use ocop_core::room::{format_code, normalise_code, RoomMember};
use sha2::{Digest, Sha256};

pub(crate) type Hash = [u8; 32];

pub(crate) fn hash(secret: &str) -> Hash {
    Sha256::digest(secret.as_bytes()).into()
}

/// 32 random bytes, base64url: a token or a session.
pub(crate) fn secret() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the OS random source works");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// A short code: 40 random bits, shown as `ABCD-EFGH`.
pub(crate) fn short_code() -> String {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("the OS random source works");
    format_code(u64::from_le_bytes(b) & 0xFF_FFFF_FFFF)
}

/// A member's one-time way in.
#[derive(Clone)]
pub(crate) struct Link {
    pub token: String,
    pub code: String,
}

pub(crate) struct Paired {
    pub pairing_id: String,
    pub session: Hash,
    pub device: String,
    pub paired_at: String,
    pub last_contact: String,
}

pub(crate) struct Slot {
    pub member: RoomMember,
    pub link: Option<Link>,
    pub paired: Option<Paired>,
}

/// Why a session no longer works.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Dead {
    Revoked,
}

/// Codes: at most this many wrong ones per minute, then a minute's lock.
pub(crate) const WRONG_CODES_PER_MINUTE: usize = 10;
const MINUTE: Duration = Duration::from_secs(60);

pub(crate) struct Inner {
    pub open: bool,
    pub slots: Vec<Slot>,
    tokens: HashMap<Hash, usize>,
    used_tokens: HashSet<Hash>,
    codes: HashMap<String, usize>,
    sessions: HashMap<Hash, usize>,
    dead: HashMap<Hash, Dead>,
    applied: HashSet<String>,
    wrong_codes: VecDeque<Instant>,
    locked_until: Option<Instant>,
}

/// What a pairing attempt finds.
pub(crate) enum Claim {
    Slot(usize),
    Used,
    Unknown,
    Locked(u64),
}

impl Inner {
    pub fn new(members: Vec<RoomMember>) -> Inner {
        let mut inner = Inner {
            open: true,
            slots: members
                .into_iter()
                .map(|member| Slot {
                    member,
                    link: None,
                    paired: None,
                })
                .collect(),
            tokens: HashMap::new(),
            used_tokens: HashSet::new(),
            codes: HashMap::new(),
            sessions: HashMap::new(),
            dead: HashMap::new(),
            applied: HashSet::new(),
            wrong_codes: VecDeque::new(),
            locked_until: None,
        };
        for i in 0..inner.slots.len() {
            inner.new_link(i);
        }
        inner
    }

    /// A fresh link for slot `i` (the old one, if unused, stops working).
    pub fn new_link(&mut self, i: usize) -> Link {
        if let Some(old) = self.slots[i].link.take() {
            self.tokens.remove(&hash(&old.token));
            self.codes
                .remove(&normalise_code(&old.code).unwrap_or_default());
        }
        let mut code = short_code();
        while self
            .codes
            .contains_key(&normalise_code(&code).unwrap_or_default())
        {
            code = short_code();
        }
        let link = Link {
            token: secret(),
            code,
        };
        self.tokens.insert(hash(&link.token), i);
        self.codes
            .insert(normalise_code(&link.code).unwrap_or_default(), i);
        self.slots[i].link = Some(link.clone());
        link
    }

    pub fn slot_of(&self, member_id: &str) -> Option<usize> {
        self.slots.iter().position(|s| s.member.id == member_id)
    }

    /// Finds the slot a token names (one-time: the caller consumes it with [`Inner::consume`]).
    pub fn claim_token(&self, token: &str) -> Claim {
        let h = hash(token);
        match self.tokens.get(&h) {
            Some(i) => Claim::Slot(*i),
            None if self.used_tokens.contains(&h) => Claim::Used,
            None => Claim::Unknown,
        }
    }

    /// Finds the slot a typed code names, counting wrong codes.
    pub fn claim_code(&mut self, typed: &str, now: Instant) -> Claim {
        if let Some(until) = self.locked_until {
            if now < until {
                return Claim::Locked((until - now).as_secs().max(1));
            }
            self.locked_until = None;
        }
        if let Some(i) = normalise_code(typed).and_then(|c| self.codes.get(&c).copied()) {
            return Claim::Slot(i);
        }
        while self
            .wrong_codes
            .front()
            .is_some_and(|t| now.duration_since(*t) > MINUTE)
        {
            self.wrong_codes.pop_front();
        }
        self.wrong_codes.push_back(now);
        if self.wrong_codes.len() >= WRONG_CODES_PER_MINUTE {
            self.locked_until = Some(now + MINUTE);
            self.wrong_codes.clear();
        }
        Claim::Unknown
    }

    pub fn wrong_codes(&self) -> u32 {
        self.wrong_codes.len() as u32
    }

    pub fn codes_locked(&self, now: Instant) -> bool {
        self.locked_until.is_some_and(|u| now < u)
    }

    /// Pairs slot `i` with a device: its link dies, any earlier session of the member dies.
    pub fn pair(
        &mut self,
        i: usize,
        pairing_id: String,
        session: &str,
        device: String,
        at: String,
    ) {
        if let Some(link) = self.slots[i].link.take() {
            let h = hash(&link.token);
            self.tokens.remove(&h);
            self.used_tokens.insert(h);
            self.codes
                .remove(&normalise_code(&link.code).unwrap_or_default());
        }
        self.unpair(i, Dead::Revoked);
        let h = hash(session);
        self.sessions.insert(h, i);
        self.slots[i].paired = Some(Paired {
            pairing_id,
            session: h,
            device,
            paired_at: at.clone(),
            last_contact: at,
        });
    }

    /// Ends slot `i`'s pairing, if any; returns its id.
    pub fn unpair(&mut self, i: usize, why: Dead) -> Option<String> {
        let p = self.slots[i].paired.take()?;
        self.sessions.remove(&p.session);
        self.dead.insert(p.session, why);
        Some(p.pairing_id)
    }

    /// The slot of a live session, or why it is not one.
    pub fn session(&self, session: &str) -> Result<usize, Option<Dead>> {
        let h = hash(session);
        match self.sessions.get(&h) {
            Some(i) => Ok(*i),
            None => Err(self.dead.get(&h).copied()),
        }
    }

    pub fn touch(&mut self, i: usize, at: String) {
        if let Some(p) = &mut self.slots[i].paired {
            p.last_contact = at;
        }
    }

    /// Closes the room: every link, code and session dies.
    pub fn close(&mut self) {
        self.open = false;
        self.tokens.clear();
        self.codes.clear();
        self.sessions.clear();
        for s in &mut self.slots {
            s.link = None;
        }
    }

    pub fn applied(&self, request_id: &str) -> bool {
        self.applied.contains(request_id)
    }

    pub fn mark_applied(&mut self, request_id: &str) {
        self.applied.insert(request_id.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ocop_core::rules::Role;

    fn members(n: usize) -> Vec<RoomMember> {
        (0..n)
            .map(|i| RoomMember {
                id: format!("m{i}"),
                name: format!("Thành viên {i}"),
                role: Role::Member,
            })
            .collect()
    }

    #[test]
    fn a_token_pairs_once() {
        let mut r = Inner::new(members(2));
        let token = r.slots[0].link.clone().unwrap().token;
        let Claim::Slot(i) = r.claim_token(&token) else {
            panic!()
        };
        r.pair(i, "p1".into(), "sess", "iPad".into(), "t".into());
        assert!(matches!(r.claim_token(&token), Claim::Used));
        assert!(matches!(r.claim_token("nonsense"), Claim::Unknown));
        assert_eq!(r.session("sess"), Ok(0));
        // A new link for the member ends the old pairing when it is used.
        r.new_link(0);
        let t2 = r.slots[0].link.clone().unwrap().token;
        let Claim::Slot(i) = r.claim_token(&t2) else {
            panic!()
        };
        r.pair(i, "p2".into(), "sess2", "phone".into(), "t".into());
        assert_eq!(r.session("sess"), Err(Some(Dead::Revoked)));
        assert_eq!(r.session("sess2"), Ok(0));
        r.close();
        assert_eq!(r.session("sess2"), Err(None));
        assert!(!r.open);
    }

    #[test]
    fn wrong_codes_lock_the_codes_for_a_minute() {
        let mut r = Inner::new(members(1));
        let code = r.slots[0].link.clone().unwrap().code;
        let t0 = Instant::now();
        for k in 0..WRONG_CODES_PER_MINUTE {
            assert!(matches!(
                r.claim_code("0000-0000", t0 + Duration::from_secs(k as u64)),
                Claim::Unknown
            ));
        }
        assert!(matches!(
            r.claim_code(&code, t0 + Duration::from_secs(20)),
            Claim::Locked(_)
        ));
        assert!(matches!(
            r.claim_code(&code.to_lowercase(), t0 + Duration::from_secs(80)),
            Claim::Slot(0)
        ));
    }
}
