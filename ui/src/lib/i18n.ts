/**
 * Interface language: Vietnamese first, English second.
 *
 * Every visible string of the UI comes from these dictionaries through `$t('key', params)`.
 * The official texts of the decisions (criteria, options, notes) are data and stay in Vietnamese.
 *
 * Messages take `{name}` parameters. A key may have an English singular form `key#one`, used when
 * the parameter `n` is 1 ("1 point" / "3 points").
 */
import { derived, writable, type Readable } from 'svelte/store';
import type { Lang } from './bindings/Lang';

export const LANGS: readonly Lang[] = ['vi', 'en'];
export const DEFAULT_LANG: Lang = 'vi';
export const LANG_STORAGE_KEY = 'ocop.lang';

const vi = {
  'app.name': 'OCOP Council',
  'app.subtitle': 'Hội đồng đánh giá, phân hạng sản phẩm OCOP',
  'app.skipToContent': 'Bỏ qua đến nội dung chính',

  'lang.label': 'Ngôn ngữ giao diện',
  'lang.vi': 'Tiếng Việt',
  'lang.en': 'English',

  'nav.label': 'Điều hướng chính',
  'nav.criteria': 'Bộ tiêu chí',
  'nav.about': 'Giới thiệu',

  'common.retry': 'Thử lại',
  'common.points': '{n} điểm',
  'common.pointsColumn': 'Điểm',

  'error.title': 'Đã xảy ra lỗi',
  'error.unknown': 'Lỗi không xác định.',
  'error.unavailable':
    'Không kết nối được với phần lõi của ứng dụng. Giao diện này cần chạy bên trong ứng dụng OCOP Council.',

  'criteria.heading': 'Bộ tiêu chí đánh giá, phân hạng sản phẩm',
  'criteria.decision': 'Quyết định',
  'criteria.decisionOption': 'QĐ {number} ({year})',
  'criteria.decisionSigned': 'Ký {date}, hiệu lực {effective}',
  'criteria.search': 'Tìm bộ sản phẩm',
  'criteria.searchPlaceholder': 'Tên hoặc số bộ, gõ có dấu hoặc không',
  'criteria.setsLabel': 'Danh sách bộ sản phẩm',
  'criteria.setCount': '{shown}/{total} bộ sản phẩm',
  'criteria.listHint': 'Dùng phím mũi tên để di chuyển, Enter để mở phiếu.',
  'criteria.loadingIndex': 'Đang tải danh mục bộ tiêu chí…',
  'criteria.indexError': 'Không tải được danh mục bộ tiêu chí.',
  'criteria.noDecisions': 'Ứng dụng chưa có bộ tiêu chí nào.',
  'criteria.noSets': 'Quyết định này chưa có bộ sản phẩm nào.',
  'criteria.noMatch': 'Không có bộ sản phẩm nào khớp với “{query}”.',
  'criteria.clearSearch': 'Xoá tìm kiếm',
  'criteria.pickSet': 'Chọn một bộ sản phẩm ở danh sách bên trái để xem phiếu đánh giá.',

  'sheet.loading': 'Đang tải phiếu đánh giá…',
  'sheet.error': 'Không tải được phiếu đánh giá của bộ sản phẩm số {code}.',
  'sheet.empty': 'Phiếu đánh giá này không có tiêu chí nào.',
  'sheet.title': 'Bộ sản phẩm số {no}: {name}',
  'sheet.decision': 'Quyết định số {number}',
  'sheet.category': 'Ngành',
  'sheet.group': 'Nhóm',
  'sheet.subgroup': 'Phân nhóm',
  'sheet.leaves': '{n} tiêu chí chấm điểm',
  'sheet.disqualification': 'Hồ sơ bị loại khi:',
  'sheet.part': 'Phần {code}: {title}',
  'sheet.partShort': 'Phần {code}',
  'sheet.maxTotals': 'Điểm tối đa',
  'sheet.total': 'Tổng cộng',
  'sheet.totalLine': 'Tổng điểm tối đa của phiếu: {n} điểm',
  'sheet.eliminating': 'Điều kiện loại',
  'sheet.inferred': '(suy ra)',
  'sheet.inferredHint': 'Phương án không in trong quyết định; suy ra từ cách chấm của tiêu chí',
  'sheet.marker': 'Yêu cầu tối thiểu {n} sao',
  'sheet.options': 'Các phương án của tiêu chí {code}',
  'sheet.footerLabel': 'Ghi chú:',
  'sheet.footerDefault':
    'Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ sao (*** - 3 sao; **** - 4 sao; ***** - 5 sao)',

  'about.heading': 'Giới thiệu',
  'about.description':
    'Ứng dụng giúp hội đồng đánh giá, phân hạng sản phẩm OCOP chấm điểm theo bộ tiêu chí chính thức và xếp hạng sao. Ứng dụng chạy hoàn toàn trên máy, không cần kết nối mạng.',
  'about.loading': 'Đang tải thông tin ứng dụng…',
  'about.error': 'Không tải được thông tin ứng dụng.',
  'about.version': 'Phiên bản',
  'about.dataDir': 'Thư mục dữ liệu',
  'about.schemaVersion': 'Phiên bản lược đồ dữ liệu',
} as const;

export type MessageKey = keyof typeof vi;

const en: Record<MessageKey, string> & Record<string, string> = {
  'app.name': 'OCOP Council',
  'app.subtitle': 'OCOP product evaluation and star-ranking council',
  'app.skipToContent': 'Skip to main content',

  'lang.label': 'Interface language',
  'lang.vi': 'Tiếng Việt',
  'lang.en': 'English',

  'nav.label': 'Main navigation',
  'nav.criteria': 'Criteria',
  'nav.about': 'About',

  'common.retry': 'Try again',
  'common.points': '{n} points',
  'common.points#one': '{n} point',
  'common.pointsColumn': 'Points',

  'error.title': 'Something went wrong',
  'error.unknown': 'Unknown error.',
  'error.unavailable':
    'Cannot reach the application core. This interface has to run inside the OCOP Council application.',

  'criteria.heading': 'Product evaluation and ranking criteria',
  'criteria.decision': 'Decision',
  'criteria.decisionOption': 'Decision {number} ({year})',
  'criteria.decisionSigned': 'Signed {date}, in force {effective}',
  'criteria.search': 'Find a product set',
  'criteria.searchPlaceholder': 'Name or number',
  'criteria.setsLabel': 'Product sets',
  'criteria.setCount': '{shown} of {total} product sets',
  'criteria.listHint': 'Use the arrow keys to move and Enter to open a sheet.',
  'criteria.loadingIndex': 'Loading the criteria index…',
  'criteria.indexError': 'Could not load the criteria index.',
  'criteria.noDecisions': 'The application has no criteria yet.',
  'criteria.noSets': 'This decision has no product sets.',
  'criteria.noMatch': 'No product set matches “{query}”.',
  'criteria.clearSearch': 'Clear search',
  'criteria.pickSet': 'Choose a product set on the left to see its score sheet.',

  'sheet.loading': 'Loading the score sheet…',
  'sheet.error': 'Could not load the score sheet of product set {code}.',
  'sheet.empty': 'This score sheet has no criteria.',
  'sheet.title': 'Product set {no}: {name}',
  'sheet.decision': 'Decision {number}',
  'sheet.category': 'Category',
  'sheet.group': 'Group',
  'sheet.subgroup': 'Subgroup',
  'sheet.leaves': '{n} scored criteria',
  'sheet.leaves#one': '{n} scored criterion',
  'sheet.disqualification': 'The dossier is rejected when:',
  'sheet.part': 'Part {code}: {title}',
  'sheet.partShort': 'Part {code}',
  'sheet.maxTotals': 'Maximum points',
  'sheet.total': 'Total',
  'sheet.totalLine': 'Maximum score of the sheet: {n} points',
  'sheet.eliminating': 'Elimination rule',
  'sheet.inferred': '(inferred)',
  'sheet.inferredHint': 'Not printed in the decision; inferred from how the criterion is scored',
  'sheet.marker': 'Minimum requirement for {n} stars',
  'sheet.options': 'Options of criterion {code}',
  'sheet.footerLabel': 'Note:',
  'sheet.footerDefault':
    'The stars mark the minimum to reach for each star level (*** 3 stars; **** 4 stars; ***** 5 stars)',

  'about.heading': 'About',
  'about.description':
    'Helps OCOP evaluation councils score products on the official criteria sheets and rank them by stars. It runs entirely on this computer, with no network connection needed.',
  'about.loading': 'Loading application information…',
  'about.error': 'Could not load application information.',
  'about.version': 'Version',
  'about.dataDir': 'Data directory',
  'about.schemaVersion': 'Data schema version',
};

export type Dictionary = Readonly<Record<string, string>>;
export type Params = Readonly<Record<string, string | number>>;

export const dictionaries: Readonly<Record<Lang, Dictionary>> = { vi, en };

/**
 * The message for `key` in `lang`, falling back to Vietnamese, then to the key itself
 * (a visible key is easier to spot and report than an empty label).
 */
export function translate(
  lang: Lang,
  key: string,
  params?: Params,
  dicts: Readonly<Record<string, Dictionary>> = dictionaries,
): string {
  const lookup = (l: string): string | undefined => {
    const d = dicts[l];
    if (!d) return undefined;
    if (params?.n === 1 && d[`${key}#one`] !== undefined) return d[`${key}#one`];
    return d[key];
  };
  const message = lookup(lang) ?? lookup(DEFAULT_LANG) ?? key;
  return params ? interpolate(message, params) : message;
}

function interpolate(message: string, params: Params): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

function storedLang(): Lang {
  try {
    const value = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
    return isLang(value) ? value : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
}

/** The current language, read from and persisted to localStorage. */
export const lang = writable<Lang>(storedLang());

lang.subscribe((value) => {
  try {
    globalThis.localStorage?.setItem(LANG_STORAGE_KEY, value);
  } catch {
    // Storage may be unavailable (private mode, quota); the choice then lasts for the session.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = value;
});

export type Translate = (key: MessageKey, params?: Params) => string;

/** `$t('key', { n: 3 })` in components. */
export const t: Readable<Translate> = derived(
  lang,
  ($lang) => (key: MessageKey, params?: Params) => translate($lang, key, params),
);
