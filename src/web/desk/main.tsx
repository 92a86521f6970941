import { mount, Shell } from '../shared/ui.js';

mount(
  <Shell title="desk">
    <p>This page is being built.</p>
  </Shell>,
);
