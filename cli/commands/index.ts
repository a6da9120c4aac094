import type { CommandGroup } from '../command.js';
import { adminBootstrap } from './admin-bootstrap.js';
import { adminMigrate } from './admin-migrate.js';
import { adminSetup } from './admin-setup.js';
import { USER_COMMANDS } from './user.js';
import { addons } from './user-addons.js';
import { changes, endpoint, upgrade } from './user-changes.js';
import { nodePools } from './user-node-pools.js';
import { templates } from './user-templates.js';

/**
 * Every command, as a tree resolved word by word: `askp admin migrate`. Operator commands live
 * under `admin`; the user commands (`askp create`, `askp get`, `askp list`, …, talking to the
 * REST API with an API key) go at the root next to it.
 */
const COMMANDS: CommandGroup = {
  kind: 'group',
  name: 'askp',
  summary: 'operate and use ask-provisioner',
  children: [
    {
      kind: 'group',
      name: 'admin',
      summary: 'operator commands: they talk to the database and MNS directly',
      children: [adminMigrate, adminBootstrap, adminSetup],
    },
    ...USER_COMMANDS,
    upgrade,
    endpoint,
    changes,
    templates,
    nodePools,
    addons,
  ],
};

export { COMMANDS };
