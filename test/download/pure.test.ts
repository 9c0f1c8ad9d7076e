// Unit tests of the pure helpers: header parsing, version comparison, backoff, layout.
import { describe, expect, it } from 'vitest';
import { StageError } from '../../engine/builtin/types.js';
import { exponentialBackoff, normalizeSessionId, sessionNwbUrl, ALLEN_S3_BASE_URL } from '../../stages/allen/download/index.js';
import {
  parseContentLength,
  parseContentRange,
  parseRetryAfter,
  parseUnsatisfiedRange,
} from '../../stages/allen/download/http-headers.js';
import { ifRangeValidator, versionChange } from '../../stages/allen/download/remote-version.js';

describe('http headers', () => {
  it('parses Content-Range and rejects inconsistent or unknown-length ranges', () => {
    expect(parseContentRange('bytes 100-199/1000')).toEqual({ start: 100, end: 199, total: 1000 });
    expect(parseContentRange('bytes 100-199/*')).toBeUndefined();
    expect(parseContentRange('bytes 200-100/1000')).toBeUndefined();
    expect(parseContentRange('bytes 0-1000/1000')).toBeUndefined();
    expect(parseContentRange(null)).toBeUndefined();
    expect(parseUnsatisfiedRange('bytes */3000')).toBe(3000);
    expect(parseContentLength(' 42 ')).toBe(42);
    expect(parseContentLength('-1')).toBeUndefined();
  });

  it('parses Retry-After in seconds and as a date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    const now = Date.parse('Tue, 26 May 2020 00:00:00 GMT');
    expect(parseRetryAfter('Tue, 26 May 2020 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('remote versions', () => {
  it('reports a change of size, ETag or Last-Modified, and only compares what both sides have', () => {
    expect(versionChange({ total: 1, etag: '"a"' }, { total: 1, etag: '"a"' })).toBeUndefined();
    expect(versionChange({ total: 1, etag: '"a"' }, { total: 2, etag: '"a"' })).toMatch(/size/);
    expect(versionChange({ total: 1, etag: '"a"' }, { total: 1, etag: '"b"' })).toMatch(/ETag/);
    expect(versionChange({ total: 1, lastModified: 'x' }, { total: 1, lastModified: 'y' })).toMatch(/Last-Modified/);
    expect(versionChange({ total: 1, etag: '"a"' }, { total: 1 })).toBeUndefined();
  });

  it('sends only strong validators in If-Range', () => {
    expect(ifRangeValidator({ total: 1, etag: '"a"', lastModified: 'd' })).toBe('"a"');
    expect(ifRangeValidator({ total: 1, etag: 'W/"a"', lastModified: 'd' })).toBe('d');
    expect(ifRangeValidator({ total: 1 })).toBeUndefined();
  });
});

describe('backoff', () => {
  it('doubles up to the cap, jittered within [d/2, d]', () => {
    const hi = exponentialBackoff({ baseMs: 1000, maxMs: 5000, random: () => 1 });
    const lo = exponentialBackoff({ baseMs: 1000, maxMs: 5000, random: () => 0 });
    expect([1, 2, 3, 4, 5].map(hi)).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect([1, 2, 3].map(lo)).toEqual([500, 1000, 2000]);
  });
});

describe('allen layout', () => {
  it('builds the bucket URL of a session', () => {
    expect(sessionNwbUrl(ALLEN_S3_BASE_URL, '715093703')).toBe(
      'https://allen-brain-observatory.s3.us-west-2.amazonaws.com/visual-coding-neuropixels/ecephys-cache/session_715093703/session_715093703.nwb',
    );
    expect(sessionNwbUrl('http://h/cache', '1')).toBe('http://h/cache/session_1/session_1.nwb');
  });

  it('accepts numeric ids only', () => {
    expect(normalizeSessionId(715093703)).toBe('715093703');
    expect(normalizeSessionId(' 0042 ')).toBe('42');
    for (const bad of ['../x', '1e9', '', '-1', 1.5]) expect(() => normalizeSessionId(bad)).toThrow(StageError);
  });
});
