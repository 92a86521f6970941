import { mount, Shell } from '../shared/ui.js';

mount(
  <Shell title="patient">
    <p>This page is being built.</p>
  </Shell>,
);
