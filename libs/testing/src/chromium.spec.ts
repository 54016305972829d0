import { chromiumPath } from './chromium';

describe(chromiumPath.name, () => {
  it('names CHROMIUM_PATH when it exists', () => {
    expect(chromiumPath({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
  });

  it('says how to install Chromium when there is none', () => {
    expect(() => chromiumPath({ CHROMIUM_PATH: '/nowhere/chromium' })).toThrow(
      /need Chromium at \/nowhere\/chromium: install it \(Debian: apt-get install chromium\) or set CHROMIUM_PATH/,
    );
  });
});
