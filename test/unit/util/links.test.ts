import * as assert from 'node:assert/strict';
import { directUrl, fileDownloadUrl } from '../../../src/util/links';

describe('browser links into Pyramid', () => {
  it('puts the page at the server root, with the id encoded', () => {
    assert.equal(fileDownloadUrl('https://pyramid.example.com', 'a/b c&d=e?#'), 'https://pyramid.example.com/fileDownload?outputId=a%2Fb%20c%26d%3De%3F%23');
    assert.equal(directUrl('https://pyramid.example.com/', '6f1c-2b0e'), 'https://pyramid.example.com/direct/?id=6f1c-2b0e');
  });

  it('keeps the path of a server installed under one, with or without a trailing slash', () => {
    assert.equal(fileDownloadUrl('https://host/pyramid', 'x1'), 'https://host/pyramid/fileDownload?outputId=x1');
    assert.equal(directUrl('https://host:8443/bi/pyramid/', 'é 1'), 'https://host:8443/bi/pyramid/direct/?id=%C3%A9%201');
  });

  it("drops the server URL's query, fragment and credentials", () => {
    assert.equal(directUrl('https://user:secret@host/pyramid?x=1#top', 'i'), 'https://host/pyramid/direct/?id=i');
  });
});
