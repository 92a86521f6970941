import { mount, Shell } from '../shared/ui.js';

mount(
  <Shell title="admin">
    <p>This page is being built.</p>
  </Shell>,
);
