import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../src/analytics/csv.js';
import { datesBetween, percentile, weekdayIndex } from '../../src/analytics/figures.js';

describe('CSV that opens in a spreadsheet', () => {
  it('quotes commas, quotes and line breaks, doubles quotes, and leaves plain fields alone', () => {
    expect(csvField('Dr. Smith')).toBe('Dr. Smith');
    expect(csvField('Smith, Jane')).toBe('"Smith, Jane"');
    expect(csvField('The "Clinic"')).toBe('"The ""Clinic"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(0.25)).toBe('0.25');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });

  it('text a spreadsheet would run as a formula starts with an apostrophe', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+1 555')).toBe("'+1 555");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('a byte order mark, CRLF line ends, a header row', () => {
    expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('\uFEFFa,b\r\n1,"x,y"\r\n');
  });
});

describe('figures helpers', () => {
  it('percentiles interpolate like percentile_cont', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([10, 10, 20], 0.9)).toBe(18);
    expect(percentile([1380, 1440, 1440, 11520, 14400, 27360], 0.5)).toBe(6480);
  });

  it('dates and weekdays across a DST change and a leap day', () => {
    expect(datesBetween('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(datesBetween('2026-03-28', '2026-03-30')).toHaveLength(3);
    expect(weekdayIndex('2026-03-29')).toBe(6); // a Sunday
    expect(weekdayIndex('2026-03-30')).toBe(0); // a Monday
  });
});
