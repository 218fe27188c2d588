import { mount } from 'svelte';
import '../app.css';
import MemberApp from './MemberApp.svelte';

const target = document.getElementById('member');
if (!target) throw new Error('#member is missing from member.html');

export default mount(MemberApp, { target });
