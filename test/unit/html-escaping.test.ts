/** Pages and mails escape HTML one way: the shared `html` tag of src/lib/html.template.ts. */
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { html } from '../../src/lib/html.template.js';
import { renderHtml } from '../../src/notify/mail-layout.template.js';

const HOSTILE = `<script>alert("x")</script> & 'quoted' 王`;
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; 王';

describe('HTML escaping', () => {
  it('renders hostile text in a mail exactly as a page renders it', () => {
    const mail = renderHtml({
      title: HOSTILE,
      intro: [HOSTILE],
      sections: [
        {
          title: HOSTILE,
          paragraphs: [HOSTILE],
          table: { headers: [HOSTILE], rows: [[HOSTILE, { text: HOSTILE, style: 'color:#b91c1c' }]] },
        },
      ],
      link: { label: HOSTILE, url: `https://iw.example/?a=1&b=${HOSTILE}` },
    });
    expect(html`${HOSTILE}`.value).toBe(ESCAPED);
    expect(mail).not.toContain('<script>');
    // title ×2, intro, section title, paragraph, header, two cells, link label, URL ×3.
    expect(mail.split(ESCAPED).length - 1).toBe(12);
    expect(mail).toContain(`href="https://iw.example/?a=1&amp;b=${ESCAPED}"`);
  });

  it('has one escaping function in the code base', async () => {
    const files = (await readdir('src', { recursive: true })).filter((f) => f.endsWith('.ts'));
    const escapers: string[] = [];
    for (const file of files) {
      if (/&amp;'|'&lt;'/.test(await readFile(`src/${file}`, 'utf8'))) escapers.push(file);
    }
    expect(escapers).toEqual(['lib/html.template.ts']);
  });
});
