/** An in-memory ReleaseStore that records every change, for publishing logic tests. */
import type { Release, ReleaseAsset, ReleaseStore } from "../../../src/publisher/release-store.js";

export interface MemoryStore extends ReleaseStore {
  releases: (Release & { latest: boolean; assets: (ReleaseAsset & { bytes: Uint8Array })[] })[];
  changes: string[];
}

export function memoryStore(): MemoryStore {
  let id = 1;
  const store: MemoryStore = {
    releases: [],
    changes: [],
    getReleaseByTag: (tag) => Promise.resolve(store.releases.find((r) => r.tag === tag)),
    getLatestRelease: () => Promise.resolve(store.releases.find((r) => r.latest)),
    createRelease: ({ tag, commit }) => {
      const r = { id: id++, tag, commit, uploadUrl: "mem://", latest: false, assets: [] };
      store.releases.push(r);
      store.changes.push(`create ${tag}`);
      return Promise.resolve(r);
    },
    listAssets: (release) => Promise.resolve(find(release).assets),
    downloadAsset: (release, asset) => {
      const a = find(release).assets.find((x) => x.id === asset.id);
      return a ? Promise.resolve(a.bytes) : Promise.reject(new Error("404"));
    },
    uploadAsset: (release, name, bytes) => {
      const r = find(release);
      if (r.assets.some((a) => a.name === name))
        return Promise.reject(new Error("422 already_exists"));
      const asset = { id: id++, name, size: bytes.length, state: "uploaded", bytes };
      r.assets.push(asset);
      store.changes.push(`upload ${name}`);
      return Promise.resolve(asset);
    },
    deleteAsset: (release, asset) => {
      const r = find(release);
      r.assets = r.assets.filter((a) => a.id !== asset.id);
      store.changes.push(`delete ${asset.name}`);
      return Promise.resolve();
    },
    markLatest: (release) => {
      for (const r of store.releases) r.latest = r.id === release.id;
      store.changes.push(`latest ${release.tag}`);
      return Promise.resolve();
    },
  };
  const find = (release: Release): MemoryStore["releases"][number] => {
    const r = store.releases.find((x) => x.id === release.id);
    if (!r) throw new Error("no release");
    return r;
  };
  return store;
}
