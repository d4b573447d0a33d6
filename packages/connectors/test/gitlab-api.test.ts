import { describe, expect, it } from 'vitest';
import { nextPageUrl } from '../src/gitlab/client/gitlab-api.js';

describe('nextPageUrl', () => {
  const url = 'https://gitlab.example.com/api/v4/projects/acme%2Fcheckout/merge_requests?per_page=100&page=1';

  it('follows the Link header rel="next" (keyset pagination has no X-Next-Page)', () => {
    const next = 'https://gitlab.example.com/api/v4/groups/acme/projects?pagination=keyset&per_page=100&order_by=id&sort=asc&id_after=42';
    const headers = new Headers({
      Link: `<${next}>; rel="next", <https://gitlab.example.com/api/v4/groups/acme/projects?page=1>; rel="first"`,
    });
    expect(nextPageUrl(url, headers)).toBe(next);
  });

  it('else sets page from X-Next-Page, and stops when it is empty', () => {
    expect(nextPageUrl(url, new Headers({ 'X-Next-Page': '2', 'X-Page': '1' }))).toBe(
      'https://gitlab.example.com/api/v4/projects/acme%2Fcheckout/merge_requests?per_page=100&page=2',
    );
    expect(nextPageUrl(url, new Headers({ 'X-Next-Page': '', 'X-Page': '3' }))).toBeUndefined();
    expect(nextPageUrl(url, new Headers({ Link: '<https://gitlab.example.com/x?page=1>; rel="first"' }))).toBeUndefined();
  });
});
