// Where the SQL store lives, from one URL: `mysql://user:pass@host:port/db` (or `mariadb://`), or a
// SQLite file: a bare path, `sqlite:path` or `sqlite://path` (`:memory:` for a throwaway database).

export type SqlTarget =
  | { dialect: 'mysql'; host: string; port: number; user: string; password: string; database: string }
  | { dialect: 'sqlite'; filename: string };

export type SqlDialect = SqlTarget['dialect'];

export function parseSqlUrl(url: string): SqlTarget {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new TypeError('SQL store: "url" must be a mysql:// URL or a SQLite file path');
  }
  if (/^(mysql|mariadb):\/\//i.test(url)) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new TypeError(`SQL store: "url" is not a valid mysql:// URL: ${redact(url)}`);
    }
    const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
    if (database === '') throw new TypeError(`SQL store: "url" names no database: ${redact(url)}`);
    return {
      dialect: 'mysql',
      host: u.hostname || '127.0.0.1',
      port: u.port === '' ? 3306 : Number(u.port),
      user: decodeURIComponent(u.username || 'root'),
      password: decodeURIComponent(u.password),
      database,
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^sqlite:/i.test(url)) {
    throw new TypeError(`SQL store: "url" has an unsupported scheme: ${redact(url)} (use mysql:// or a SQLite path)`);
  }
  const filename = url.replace(/^sqlite:(\/\/)?/i, '');
  if (filename === '') throw new TypeError('SQL store: "url" names no SQLite file');
  return { dialect: 'sqlite', filename };
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
