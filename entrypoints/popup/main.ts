import { mount } from 'svelte';
import App from '../../src/popup/App.svelte';

mount(App, { target: document.getElementById('app')! });
