import { describe, expect, it } from 'vitest';
import { storageToMarkdown } from '../src/confluence/map/storage-to-markdown.js';

// Storage-format bodies as Confluence stores them (the editor's output: CDATA code bodies, self-closing ri: elements,
// colgroups, header-less tables, layouts).
const RUNBOOK = `<h1>Deploy runbook</h1><p>Deploys go out through <strong>Argo CD</strong>. See <ac:link><ri:page ri:content-title="On-call handbook" /></ac:link> and <ac:link><ri:page ri:space-key="OPS" ri:content-title="Escalation" /><ac:plain-text-link-body><![CDATA[the escalation policy]]></ac:plain-text-link-body></ac:link>.</p><ac:structured-macro ac:name="info" ac:schema-version="1" ac:macro-id="0b3f0c2e-1c2d-4f5a-9d0e-6c1b2a3d4e5f"><ac:rich-text-body><p>Deploys are frozen on Fridays after 15:00.</p></ac:rich-text-body></ac:structured-macro><h2>Rolling back</h2><p>Run the rollback, then watch the error rate:</p><ac:structured-macro ac:name="code" ac:schema-version="1" ac:macro-id="7d2c1b0a-3e4f-4a5b-8c6d-1e2f3a4b5c6d"><ac:parameter ac:name="language">bash</ac:parameter><ac:parameter ac:name="title">rollback</ac:parameter><ac:plain-text-body><![CDATA[argocd app rollback payments-api "$REVISION" && echo "<done>"
kubectl -n payments get pods]]></ac:plain-text-body></ac:structured-macro><ac:structured-macro ac:name="warning" ac:schema-version="1"><ac:parameter ac:name="title">Database</ac:parameter><ac:rich-text-body><p>Migrations are <em>not</em> rolled back.</p></ac:rich-text-body></ac:structured-macro><p><ac:image ac:height="250"><ri:attachment ri:filename="argo-rollback.png" /></ac:image></p><h2>Contacts</h2><table data-layout="default" ac:local-id="a1b2"><colgroup><col style="width: 200.0px;" /><col style="width: 300.0px;" /></colgroup><tbody><tr><th><p><strong>Service</strong></p></th><th><p>Owner</p></th></tr><tr><td><p>payments-api</p></td><td><p><ac:link><ri:user ri:account-id="5b10ac8d82e05b22cc7d4ef5" /></ac:link> (team | payments)</p></td></tr></tbody></table><ac:structured-macro ac:name="toc" ac:schema-version="1"><ac:parameter ac:name="maxLevel">2</ac:parameter></ac:structured-macro><p>Status: <ac:structured-macro ac:name="status" ac:schema-version="1"><ac:parameter ac:name="colour">Green</ac:parameter><ac:parameter ac:name="title">REVIEWED</ac:parameter></ac:structured-macro> on <time datetime="2026-02-27" /></p>`;

describe('storageToMarkdown', () => {
  const markdown = storageToMarkdown(RUNBOOK);

  it('keeps the headings, emphasis and page links as text', () => {
    expect(markdown).toMatch(
      /^# Deploy runbook\n\nDeploys go out through \*\*Argo CD\*\*\. See On-call handbook and the escalation policy\.$/m,
    );
    expect(markdown).toContain('\n## Rolling back\n');
    expect(markdown).toContain('\n## Contacts\n');
  });

  it('turns the code macro into fenced code with its language, its text exactly as stored', () => {
    expect(markdown).toContain('```bash\nargocd app rollback payments-api "$REVISION" && echo "<done>"\nkubectl -n payments get pods\n```');
    expect(markdown).not.toContain('rollback\nargocd'); // the title parameter is a setting, not text
  });

  it('turns info and warning panels into blockquotes with their label', () => {
    expect(markdown).toContain('> **Info**\n>\n> Deploys are frozen on Fridays after 15:00.');
    expect(markdown).toContain('> **Warning: Database**\n>\n> Migrations are _not_ rolled back.');
  });

  it('turns tables into GFM tables, a cell on one line with its pipes escaped', () => {
    expect(markdown).toContain('| **Service** | Owner |\n| --- | --- |\n| payments-api | (team \\| payments) |');
  });

  it('drops images, attachments, mentions and settings-only macros; keeps a status and a date as text', () => {
    expect(markdown).not.toMatch(/argo-rollback\.png|account-id|maxLevel|Green/);
    expect(markdown).toContain('Status: [REVIEWED] on 2026-02-27');
  });

  it('gives a header-less table its first row as the header', () => {
    const table = storageToMarkdown(
      '<table><colgroup><col /><col /></colgroup><tbody><tr><td>Env</td><td>URL</td></tr><tr><td>prod</td><td><a href="https://pay.example">pay.example</a></td></tr></tbody></table>',
    );
    expect(table).toBe('| Env | URL |\n| --- | --- |\n| prod | [pay.example](https://pay.example) |');
  });

  it('keeps a code body with backticks inside a longer fence, and a noformat block as plain fenced code', () => {
    const code = storageToMarkdown(
      '<ac:structured-macro ac:name="noformat"><ac:plain-text-body><![CDATA[use ```md fences```]]></ac:plain-text-body></ac:structured-macro>',
    );
    expect(code).toBe('````\nuse ```md fences```\n````');
  });

  it('reads new-editor panels (adf extensions) as blockquotes, without their fallback copy', () => {
    const panel = storageToMarkdown(
      '<ac:adf-extension><ac:adf-node type="panel"><ac:adf-attribute key="panel-type">note</ac:adf-attribute><ac:adf-content><p>Rotate the keys yearly.</p></ac:adf-content></ac:adf-node><ac:adf-fallback><div class="panel"><p>Rotate the keys yearly.</p></div></ac:adf-fallback></ac:adf-extension>',
    );
    expect(panel).toBe('> Rotate the keys yearly.');
  });

  it('turns task lists into GFM task items', () => {
    const tasks = storageToMarkdown(
      '<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status><ac:task-body>Page the secondary</ac:task-body></ac:task><ac:task><ac:task-id>2</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body>Write the postmortem</ac:task-body></ac:task></ac:task-list>',
    );
    expect(tasks).toBe('- [x] Page the secondary\n- [ ] Write the postmortem');
  });
});
