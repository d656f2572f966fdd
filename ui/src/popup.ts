import { mount } from 'svelte';
import PopUpWindow from './PopUpWindow.svelte';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('popup.html has no #app element');

export default mount(PopUpWindow, { target });
