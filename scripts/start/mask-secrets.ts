/** `scheme://user:` then the password, up to the `@` that ends the userinfo. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s/@]+)@/gi;

/**
 * The text with every password of a URL in it replaced by `****`: `postgres://app:****@db/x`,
 * `redis://:****@cache:6379`. The start banner and its progress lines print the infrastructure's
 * URLs, which may come from the environment with credentials in them.
 */
export function maskUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, '$1****@');
}
