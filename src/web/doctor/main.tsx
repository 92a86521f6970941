import { mount, Shell } from '../shared/ui.js';

mount(
  <Shell title="doctor">
    <p>This page is being built.</p>
  </Shell>,
);
