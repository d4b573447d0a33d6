import { statuspage } from '@teamstate/connectors/statuspage';
import { connectorContract } from '@teamstate/core/testing';
import { createFakeStatuspage, PAGE } from './statuspage/fake-statuspage.js';

const fake = createFakeStatuspage();

connectorContract({
  name: 'statuspage',
  create: () => statuspage({ token: 'sp-test-token', pageId: PAGE, baseUrl: fake.url, sleep: async () => {} }),
  setup: () => fake.listen(),
  teardown: () => fake.close(),
  actions: [
    { type: 'statuspage.incident.create', target: 'page', invalid: { name: 'Checkout down', body: '' }, invalidField: 'params.body' },
    {
      type: 'statuspage.incident.update',
      target: 'sp-p31zjtct2jer',
      invalid: { incident: 'p31zjtct2jer', body: 'x', status: 'exploded' },
      invalidField: 'params.status',
    },
  ],
});
