/**
 * Approved external libraries. An action lists one by its public URL; the platform serves and
 * loads our own installed npm copy instead, so nothing is downloaded at run time.
 */
export interface ApprovedLibrary {
  url: string;
  name: string;
  /** The npm package and file inside it that is loaded in place of the URL. */
  packageName: string;
  file: string;
  version: string;
}

export const approvedLibraries: readonly ApprovedLibrary[] = [
  {
    url: 'https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.30.1/moment.min.js',
    name: 'moment',
    packageName: 'moment',
    file: 'min/moment.min.js',
    version: '2.30.1',
  },
  {
    url: 'https://cdn.jsdelivr.net/npm/lodash@4/lodash.min.js',
    name: 'lodash',
    packageName: 'lodash',
    file: 'lodash.min.js',
    version: '4',
  },
  {
    url: 'https://cdn.jsdelivr.net/npm/dayjs@1/dayjs.min.js',
    name: 'dayjs',
    packageName: 'dayjs',
    file: 'dayjs.min.js',
    version: '1',
  },
];

export function findApprovedLibrary(url: string): ApprovedLibrary | undefined {
  return approvedLibraries.find((library) => library.url === url);
}

/** Where the web app serves our copy of a library; also the `assets[].path` of the action. */
export function libraryAssetPath(library: ApprovedLibrary): string {
  return `assets/libraries/${library.name}/${library.version}/${library.file.split('/').pop()}`;
}
