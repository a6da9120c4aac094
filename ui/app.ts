import { ApiError, api, type Cluster, type Options, type Preflight, session } from './api.js';
import { badge, type Child, checked, duration, fieldValue, h, mount } from './dom.js';

/**
 * The console: hash routes over the REST API, no framework. `#/clusters` (list),
 * `#/create` (the wizard, in the ACK console's order), `#/clusters/<id>` (overview, progress,
 * timeline, settings, kubeconfig, delete), `#/webhooks` (the delivery log), `#/janitor` (admins).
 * Pages that follow a change poll every two seconds while shown.
 */

const main = (): HTMLElement => {
  const element = document.getElementById('main');
  if (!element) throw new Error('the page has no #main');
  return element;
};

let timer: number | undefined;
const every = (ms: number, tick: () => Promise<void>): void => {
  window.clearInterval(timer);
  timer = window.setInterval(() => {
    tick().catch(showError);
  }, ms);
};

const showError = (error: unknown): void => {
  if (error instanceof ApiError && error.status === 401) {
    session.signOut();
    location.hash = '#/signin';
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  const box = document.getElementById('page-error');
  if (box) box.textContent = message;
  else main().prepend(h('p', { class: 'error', id: 'page-error' }, message));
};

const nav = (route: string): void => {
  const element = document.getElementById('nav');
  if (!element) return;
  if (!session.key()) {
    mount(element);
    return;
  }
  const link = (href: string, text: string) =>
    h('a', { href, class: route.startsWith(href) ? 'active' : undefined }, text);
  mount(
    element,
    link('#/clusters', 'Clusters'),
    link('#/create', 'Create cluster'),
    link('#/webhooks', 'Webhook deliveries'),
    link('#/janitor', 'Janitor'),
    h('span', { class: 'spacer' }),
    h(
      'a',
      {
        href: '#/signin',
        id: 'sign-out',
        onclick: () => {
          session.signOut();
        },
      },
      'Sign out',
    ),
  );
};

// ---- sign in ------------------------------------------------------------------------------

const signInPage = (): void => {
  const form = h(
    'form',
    { class: 'card signin', id: 'signin' },
    h('h1', {}, 'Sign in'),
    h(
      'p',
      { class: 'muted' },
      'Paste an API key (askp_…). It is kept in this browser tab only and forgotten when the tab closes.',
    ),
    h('label', { for: 'api-key' }, 'API key'),
    h('input', { type: 'password', id: 'api-key', autocomplete: 'off', required: true }),
    h('p', { class: 'error', id: 'signin-error' }),
    h('button', { class: 'primary', type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = fieldValue(form, '#api-key').trim();
    api.check(key).then(
      () => {
        session.signIn(key);
        location.hash = '#/clusters';
      },
      (error: unknown) => {
        const box = form.querySelector('#signin-error');
        if (box)
          box.textContent =
            error instanceof ApiError && error.status === 401
              ? 'That key is not valid.'
              : String(error instanceof Error ? error.message : error);
      },
    );
  });
  mount(main(), form);
};

// ---- cluster list -------------------------------------------------------------------------

const timeLeft = (cluster: Cluster): string => {
  if (!cluster.expiresAt) return '—';
  const left = Date.parse(cluster.expiresAt) - Date.now();
  return left <= 0 ? 'expired' : duration(left);
};

const progressText = (cluster: Cluster): string => {
  const progress = cluster.progress;
  if (!progress) return '';
  return `${progress.completedStages}/${progress.totalStages}${progress.stage ? ` · ${progress.stage}` : ''}`;
};

const clusterRows = (clusters: Cluster[]): HTMLTableSectionElement =>
  h(
    'tbody',
    {},
    ...clusters.map((cluster) =>
      h(
        'tr',
        { 'data-id': cluster.id },
        h('td', {}, h('a', { href: `#/clusters/${cluster.id}` }, cluster.name)),
        h(
          'td',
          {},
          badge(cluster.state),
          ' ',
          h('span', { class: 'muted' }, progressText(cluster)),
        ),
        h('td', {}, cluster.region),
        h('td', {}, duration(Date.now() - Date.parse(cluster.createdAt))),
        h('td', {}, timeLeft(cluster)),
        h('td', { class: 'muted' }, h('code', {}, cluster.id)),
      ),
    ),
  );

const clustersPage = async (): Promise<void> => {
  const table = h(
    'table',
    { id: 'clusters' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Name', 'State', 'Region', 'Age', 'Time left', 'Id'].map((t) => h('th', {}, t)),
      ),
    ),
    h('tbody'),
  );
  mount(
    main(),
    h(
      'div',
      { class: 'row between' },
      h('h1', {}, 'Clusters'),
      h('a', { class: 'button primary', href: '#/create' }, 'Create cluster'),
    ),
    table,
  );
  const refresh = async () => {
    const clusters = (await api.listClusters())
      .filter((c) => c.state !== 'deleted' && c.state !== 'cancelled')
      .reverse();
    table.tBodies[0]?.replaceWith(clusterRows(clusters));
    if (clusters.length === 0)
      table.tBodies[0]?.append(
        h('tr', {}, h('td', { colspan: '6', class: 'muted' }, 'No clusters yet.')),
      );
  };
  await refresh();
  every(2000, refresh);
};

// ---- create wizard ------------------------------------------------------------------------

const STEPS = [
  'Region, version and spec',
  'Network',
  'API server access',
  'Components',
  'Price and checks',
] as const;

interface Draft {
  name: string;
  region: string;
  kubernetesVersion: string;
  clusterSpec: string;
  ttl: string;
  network: 'auto' | 'existing';
  vpcId: string;
  vswitchIds: string;
  serviceCidr: string;
  endpointPublicAccess: boolean;
  addons: string[];
}

const requestBody = (draft: Draft): Record<string, unknown> => ({
  name: draft.name,
  region: draft.region,
  ...(draft.kubernetesVersion ? { kubernetesVersion: draft.kubernetesVersion } : {}),
  clusterSpec: draft.clusterSpec,
  network:
    draft.network === 'auto'
      ? 'auto'
      : {
          vpcId: draft.vpcId.trim(),
          vswitchIds: draft.vswitchIds
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        },
  serviceCidr: draft.serviceCidr,
  endpointPublicAccess: draft.endpointPublicAccess,
  addons: draft.addons.map((name) => ({ name })),
  ...(draft.ttl ? { ttl: draft.ttl } : {}),
});

const createPage = async (): Promise<void> => {
  const draft: Draft = {
    name: '',
    region: 'cn-hangzhou',
    kubernetesVersion: '',
    clusterSpec: 'ack.standard',
    ttl: '',
    network: 'auto',
    vpcId: '',
    vswitchIds: '',
    serviceCidr: '172.21.0.0/20',
    endpointPublicAccess: false,
    addons: [],
  };
  let options: Options = await api.options(draft.region);
  let step = 0;
  const body = h('div', { class: 'card', id: 'wizard' });
  const steps = h('ol', { class: 'steps' });
  mount(main(), h('h1', {}, 'Create an ACK Serverless cluster'), steps, body);

  const field = (label: string, input: HTMLElement, hint?: string) =>
    h('div', {}, h('label', {}, label), input, hint ? h('div', { class: 'muted' }, hint) : null);
  const select = (id: string, values: readonly string[], current: string) =>
    h(
      'select',
      { id },
      ...values.map((v) => h('option', { value: v, selected: v === current }, v)),
    );

  /** Reads the fields of the current step into the draft. */
  const save = (): void => {
    if (step === 0) {
      draft.name = fieldValue(body, '#name').trim();
      draft.region = fieldValue(body, '#region');
      draft.kubernetesVersion = fieldValue(body, '#version');
      draft.clusterSpec = fieldValue(body, '#spec');
      draft.ttl = fieldValue(body, '#ttl').trim();
    } else if (step === 1) {
      draft.network = checked(body, '#network-existing') ? 'existing' : 'auto';
      draft.vpcId = fieldValue(body, '#vpc');
      draft.vswitchIds = fieldValue(body, '#vswitches');
    } else if (step === 2) {
      draft.endpointPublicAccess = checked(body, '#public');
      draft.serviceCidr = fieldValue(body, '#service-cidr').trim();
    } else if (step === 3) {
      draft.addons = options.addons
        .map((a) => a.name)
        .filter((name) => checked(body, `input[data-addon="${name}"]`));
    }
  };

  const stepPage = (content: Child[], last = false) => {
    const back = h('button', { type: 'button', id: 'back', disabled: step === 0 }, 'Back');
    back.addEventListener('click', () => {
      save();
      step -= 1;
      render().catch(showError);
    });
    const next = h(
      'button',
      { type: 'button', class: 'primary', id: last ? 'create' : 'next' },
      last ? 'Create cluster' : 'Next',
    );
    next.addEventListener('click', () => {
      save();
      if (step === 0 && !draft.name) {
        showError(new Error('A cluster needs a name.'));
        return;
      }
      if (last) {
        next.disabled = true;
        api.create(requestBody(draft)).then((created) => {
          location.hash = `#/clusters/${created.id}`;
        }, showError);
        return;
      }
      step += 1;
      render().catch(showError);
    });
    mount(
      body,
      ...content,
      h('p', { class: 'error', id: 'page-error' }),
      h('div', { class: 'row' }, back, next),
    );
  };

  const render = async (): Promise<void> => {
    mount(
      steps,
      ...STEPS.map((title, index) =>
        h(
          'li',
          { class: index < step ? 'done' : index === step ? 'current' : undefined },
          `${index + 1}. ${title}`,
        ),
      ),
    );
    if (step === 0) {
      const region = select(
        'region',
        options.regions.map((r) => r.id),
        draft.region,
      );
      region.addEventListener('change', () => {
        save();
        draft.kubernetesVersion = '';
        api.options(draft.region).then((fresh) => {
          options = fresh;
          return render();
        }, showError);
      });
      const versions = options.kubernetesVersions.map((v) => v.version);
      stepPage([
        field(
          'Cluster name',
          h('input', { type: 'text', id: 'name', value: draft.name, placeholder: 'demo' }),
          '1–63 letters, digits or -',
        ),
        field('Region', region),
        field(
          'Kubernetes version',
          select(
            'version',
            versions,
            draft.kubernetesVersion || (options.defaultKubernetesVersion ?? ''),
          ),
        ),
        field('Cluster spec', select('spec', options.clusterSpecs, draft.clusterSpec)),
        field(
          'Time to live',
          h('input', {
            type: 'text',
            id: 'ttl',
            value: draft.ttl,
            placeholder: 'e.g. 8h (empty: the tenant default)',
          }),
          'The janitor deletes the cluster after this long, after a warning.',
        ),
      ]);
    } else if (step === 1) {
      const radio = (id: string, value: 'auto' | 'existing', text: string) =>
        h(
          'label',
          {},
          h('input', { type: 'radio', name: 'network', id, checked: draft.network === value }),
          ' ',
          text,
        );
      stepPage([
        radio('network-auto', 'auto', 'Create a VPC and a NAT gateway for me'),
        radio('network-existing', 'existing', 'Use an existing VPC'),
        field(
          'VPC id',
          h('input', { type: 'text', id: 'vpc', value: draft.vpcId, placeholder: 'vpc-…' }),
        ),
        field(
          'vSwitch ids',
          h('input', {
            type: 'text',
            id: 'vswitches',
            value: draft.vswitchIds,
            placeholder: 'vsw-…, vsw-…',
          }),
          'comma-separated, in the chosen region',
        ),
      ]);
    } else if (step === 2) {
      stepPage([
        h(
          'label',
          {},
          h('input', { type: 'checkbox', id: 'public', checked: draft.endpointPublicAccess }),
          ' Expose the API server through an EIP (public access)',
        ),
        field(
          'Service CIDR',
          h('input', { type: 'text', id: 'service-cidr', value: draft.serviceCidr }),
        ),
      ]);
    } else if (step === 3) {
      stepPage([
        h(
          'p',
          { class: 'muted' },
          'Components installed with the cluster. CoreDNS and the managed components come with every cluster.',
        ),
        ...options.addons.map((addon) =>
          h(
            'label',
            {},
            h('input', {
              type: 'checkbox',
              'data-addon': addon.name,
              checked: draft.addons.includes(addon.name),
            }),
            ` ${addon.name} `,
            h('span', { class: 'muted' }, `— ${addon.description}`),
          ),
        ),
      ]);
    } else {
      mount(
        body,
        h(
          'p',
          { class: 'muted' },
          'Checking roles, quota, version and network, and pricing the cluster…',
        ),
      );
      const report: Preflight = await api.preflight(requestBody(draft));
      stepPage(
        [
          h('h2', {}, 'Dependency check'),
          h(
            'table',
            { id: 'findings' },
            h(
              'tbody',
              {},
              ...report.findings.map((f) =>
                h(
                  'tr',
                  {},
                  h('td', {}, f.check),
                  h('td', {}, badge(f.status)),
                  h('td', {}, f.message, f.action ? h('div', { class: 'muted' }, f.action) : null),
                ),
              ),
            ),
          ),
          h('h2', {}, 'Estimated price'),
          h(
            'table',
            { id: 'price' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Item'),
                h('th', {}, 'USD / hour'),
                h('th', {}, 'USD / month'),
              ),
            ),
            h(
              'tbody',
              {},
              ...report.cost.items.map((item) =>
                h(
                  'tr',
                  {},
                  h('td', {}, item.item),
                  h('td', {}, item.usdPerHour.toFixed(4)),
                  h('td', {}, item.usdPerMonth.toFixed(2)),
                ),
              ),
              h(
                'tr',
                {},
                h('th', {}, 'Total'),
                h('th', {}, report.cost.usdPerHour.toFixed(4)),
                h('th', {}, report.cost.usdPerMonth.toFixed(2)),
              ),
            ),
          ),
          h(
            'p',
            { class: 'muted' },
            `Not included: ${report.cost.excludes.join(', ')}.${report.cost.verified ? '' : ' Some prices are estimates.'}`,
          ),
          report.ok
            ? null
            : h('p', { class: 'error' }, 'Some checks failed: the creation would fail.'),
        ],
        true,
      );
    }
  };
  await render();
};

// ---- one cluster --------------------------------------------------------------------------

const STAGE_PATTERN = /^stage (.+?) (started|succeeded|failed)(?:: .*)?$/;

const stageList = (events: { type: string; message: string }[]): HTMLUListElement => {
  const stages = new Map<string, string>();
  for (const event of events) {
    if (event.type !== 'ack.stage') continue;
    const match = STAGE_PATTERN.exec(event.message);
    if (match?.[1] && match[2]) stages.set(match[1], match[2]);
  }
  return h(
    'ul',
    { class: 'stages', id: 'stages' },
    ...[...stages].map(([name, status]) => h('li', { class: status }, `${name} — ${status}`)),
  );
};

/** Width set through the CSSOM: the Content-Security-Policy allows no inline style attribute. */
const bar = (fraction: number): HTMLDivElement => {
  const fill = h('div', { id: 'progress-fill' });
  fill.style.width = `${Math.round(fraction * 100)}%`;
  return h('div', { class: 'progress' }, fill);
};

const download = (name: string, text: string): void => {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

const clusterPage = async (id: string): Promise<void> => {
  const overview = h('div', { class: 'card', id: 'overview' });
  const progress = h('div', { class: 'card', id: 'progress' });
  const settings = h('div', { class: 'card', id: 'settings' });
  const timeline = h('div', { class: 'card', id: 'timeline' });
  const title = h('h1', {});
  mount(
    main(),
    h('p', {}, h('a', { href: '#/clusters' }, '← Clusters')),
    title,
    progress,
    overview,
    settings,
    timeline,
  );
  let editing = false;
  /** Survives the re-render that follows a save. */
  let notice = '';

  const renderSettings = (cluster: Cluster): void => {
    if (editing) return;
    const labels = Object.entries(cluster.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n');
    const save = h('button', { type: 'button', id: 'save-settings' }, 'Save');
    save.addEventListener('click', () => {
      const entries = fieldValue(settings, '#labels')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const next: Record<string, string | null> = {};
      for (const key of Object.keys(cluster.labels)) next[key] = null;
      for (const entry of entries) {
        const at = entry.indexOf('=');
        if (at > 0) next[entry.slice(0, at)] = entry.slice(at + 1);
      }
      const ttl = fieldValue(settings, '#ttl').trim();
      api
        .patch(id, {
          labels: next,
          deletionProtection: checked(settings, '#protection'),
          ...(ttl ? { ttl } : {}),
        })
        .then(() => {
          editing = false;
          notice = `Saved at ${new Date().toLocaleTimeString()}.`;
          return refresh();
        }, showError);
    });
    const kubeconfig = h(
      'button',
      { type: 'button', id: 'kubeconfig', disabled: cluster.state !== 'running' },
      'Download kubeconfig',
    );
    kubeconfig.addEventListener('click', () => {
      api
        .kubeconfig(id)
        .then(
          (issued) => download(`${cluster.name}.kubeconfig.yaml`, issued.kubeconfig),
          showError,
        );
    });
    const remove = h(
      'button',
      {
        type: 'button',
        class: 'danger',
        id: 'delete',
        disabled:
          cluster.state === 'deleting' ||
          cluster.state === 'deleted' ||
          cluster.state === 'cancelled',
      },
      'Delete cluster',
    );
    remove.addEventListener('click', () => {
      if (!window.confirm(`Delete cluster ${cluster.name}? This cannot be undone.`)) return;
      api.remove(id).then(() => refresh(), showError);
    });
    mount(
      settings,
      h('h2', {}, 'Basic information'),
      h('label', { for: 'labels' }, 'Labels (key=value, one a line)'),
      h(
        'textarea',
        {
          id: 'labels',
          oninput: () => {
            editing = true;
          },
        },
        labels,
      ),
      h(
        'label',
        { for: 'ttl' },
        `Time to live from now (expires ${cluster.expiresAt ? new Date(cluster.expiresAt).toLocaleString() : 'never'})`,
      ),
      h('input', {
        type: 'text',
        id: 'ttl',
        placeholder: 'e.g. 8h, 2d',
        oninput: () => {
          editing = true;
        },
      }),
      h(
        'label',
        {},
        h('input', {
          type: 'checkbox',
          id: 'protection',
          checked: cluster.deletionProtection,
          onchange: () => {
            editing = true;
          },
        }),
        ' Deletion protection',
      ),
      h('p', { class: 'notice', id: 'settings-note' }, notice),
      h('div', { class: 'row' }, save, kubeconfig, remove),
    );
  };

  const refresh = async (): Promise<void> => {
    const [cluster, events] = await Promise.all([api.getCluster(id), api.events(id)]);
    mount(title, `${cluster.name} `, badge(cluster.state));
    const p = cluster.progress;
    if (cluster.state === 'provisioning' || cluster.state === 'accepted') {
      const done = p ? p.completedStages / Math.max(1, p.totalStages) : 0;
      mount(
        progress,
        h('h2', {}, 'Creating'),
        h(
          'div',
          { class: 'muted', id: 'progress-text' },
          p?.stage
            ? `Stage ${Math.min(p.completedStages + 1, p.totalStages)} of ${p.totalStages}: ${p.stage}`
            : cluster.state === 'accepted'
              ? 'Waiting for the worker…'
              : 'Asking ACK…',
          ` · ${duration(Date.now() - Date.parse(cluster.createdAt))} elapsed`,
        ),
        bar(done),
        stageList(events),
      );
    } else if (events.some((e) => e.type === 'ack.stage')) {
      mount(progress, h('h2', {}, 'Creation'), stageList(events));
    } else {
      mount(progress);
    }
    progress.hidden = progress.childElementCount === 0;
    const row = (term: string, value: string | null | undefined) => [
      h('dt', {}, term),
      h('dd', {}, value ?? '—'),
    ];
    mount(
      overview,
      h('h2', {}, 'Overview'),
      h(
        'dl',
        { class: 'grid' },
        ...row('Id', cluster.id),
        ...row('State', cluster.state),
        ...row(
          'ACK cluster',
          cluster.clusterId ? `${cluster.clusterId} (${cluster.clusterName})` : cluster.clusterName,
        ),
        ...row('Region', cluster.region),
        ...row('Kubernetes', cluster.spec.kubernetesVersion),
        ...row('Spec', cluster.spec.clusterSpec),
        ...row('API server', cluster.endpoints.internet ?? cluster.endpoints.intranet),
        ...row('Created', new Date(cluster.createdAt).toLocaleString()),
        ...row('Time left', timeLeft(cluster)),
        ...row('Error', cluster.error ? `${cluster.error.code}: ${cluster.error.message}` : null),
      ),
    );
    renderSettings(cluster);
    mount(
      timeline,
      h('h2', {}, 'Timeline'),
      h(
        'table',
        { id: 'events' },
        h(
          'tbody',
          {},
          ...events.map((e) =>
            h(
              'tr',
              {},
              h('td', { class: 'muted' }, new Date(e.at).toLocaleTimeString()),
              h('td', {}, h('code', {}, e.type)),
              h('td', {}, e.message),
              h('td', {}, badge(e.state)),
            ),
          ),
        ),
      ),
    );
  };
  await refresh();
  every(2000, refresh);
};

// ---- webhooks and janitor -----------------------------------------------------------------

const webhooksPage = async (): Promise<void> => {
  const deliveries = await api.deliveries();
  mount(
    main(),
    h('h1', {}, 'Webhook deliveries'),
    h('p', { class: 'notice', id: 'redeliver-note' }),
    h(
      'table',
      { id: 'deliveries' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Event', 'Cluster', 'URL', 'Status', 'Attempts', 'Created', ''].map((t) =>
            h('th', {}, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...deliveries.reverse().map((d) => {
          const again = h('button', { type: 'button' }, 'Redeliver');
          again.addEventListener('click', () => {
            api.redeliver(d.id).then(() => {
              const note = document.getElementById('redeliver-note');
              if (note) note.textContent = `Delivery ${d.id} will be sent again.`;
            }, showError);
          });
          const last = d.attempts.at(-1);
          return h(
            'tr',
            {},
            h('td', {}, h('code', {}, d.eventType)),
            h('td', {}, h('a', { href: `#/clusters/${d.clusterId}` }, d.clusterId)),
            h('td', {}, d.url),
            h('td', {}, badge(d.status)),
            h(
              'td',
              {},
              `${d.attempts.length}${last ? ` (last: ${last.status ?? last.error ?? '—'})` : ''}`,
            ),
            h('td', {}, new Date(d.createdAt).toLocaleString()),
            h('td', {}, again),
          );
        }),
        deliveries.length === 0
          ? h('tr', {}, h('td', { colspan: '7', class: 'muted' }, 'No deliveries yet.'))
          : null,
      ),
    ),
  );
};

const janitorPage = async (): Promise<void> => {
  let runs: Awaited<ReturnType<typeof api.janitorRuns>>;
  try {
    runs = await api.janitorRuns();
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      mount(
        main(),
        h('h1', {}, 'Janitor'),
        h('p', { class: 'muted' }, 'The janitor’s runs are shown to admin keys only.'),
      );
      return;
    }
    throw error;
  }
  mount(
    main(),
    h('h1', {}, 'Janitor runs'),
    h(
      'table',
      { id: 'janitor-runs' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[
            'Started',
            'Mode',
            'Examined',
            'Warned',
            'Deleted',
            'Cancelled',
            'Skipped',
            'Error',
          ].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        ...runs.map((run) =>
          h(
            'tr',
            {},
            h('td', {}, new Date(run.startedAt).toLocaleString()),
            h('td', {}, run.mode),
            h('td', {}, String(run.examined)),
            h('td', {}, String(run.warned)),
            h('td', {}, String(run.deleted)),
            h('td', {}, String(run.cancelled)),
            h(
              'td',
              {},
              Object.entries(run.skipped)
                .map(([reason, s]) => `${reason}: ${s.count}`)
                .join(', ') || '—',
            ),
            h('td', {}, run.error ?? (run.finishedAt ? '' : 'running or died')),
          ),
        ),
        runs.length === 0
          ? h('tr', {}, h('td', { colspan: '8', class: 'muted' }, 'No runs yet.'))
          : null,
      ),
    ),
  );
};

// ---- routing ------------------------------------------------------------------------------

const route = async (): Promise<void> => {
  window.clearInterval(timer);
  const hash = location.hash || '#/clusters';
  if (!session.key() && hash !== '#/signin') {
    location.hash = '#/signin';
    return;
  }
  nav(hash);
  if (hash === '#/signin') return signInPage();
  if (hash === '#/create') return createPage();
  if (hash === '#/webhooks') return webhooksPage();
  if (hash === '#/janitor') return janitorPage();
  const cluster = /^#\/clusters\/([^/]+)$/.exec(hash);
  if (cluster?.[1]) return clusterPage(decodeURIComponent(cluster[1]));
  return clustersPage();
};

window.addEventListener('hashchange', () => {
  route().catch(showError);
});
route().catch(showError);
