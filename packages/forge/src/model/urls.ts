/** Where the forge is reachable; every `*_url` field in a response is built from these. */
export interface Urls {
  /** The web root, e.g. `http://127.0.0.1:PORT` (html_url, git, downloads). */
  web: string;
  /** REST root, `<web>/api/v3`. */
  api: string;
  /** Upload root, `<web>/api/uploads`. */
  uploads: string;
}

export function urlsFor(web: string): Urls {
  return { web, api: `${web}/api/v3`, uploads: `${web}/api/uploads` };
}
