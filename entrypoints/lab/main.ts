import { exposeLab } from '../../tests/e2e/lab/lab';

// Built into the e2e build only (wxt.config.ts): a trusted extension page that end-to-end tests drive.
exposeLab();
