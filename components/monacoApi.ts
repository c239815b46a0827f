import type * as monacoEditor from 'monaco-editor';

/**
 * The Monaco API as the editor bundle provides it. @monaco-editor/react types its `monaco`
 * argument through a path the package's exports map does not resolve here, so it arrives as
 * `any`; assigning it to this type restores checking (including the top-level `typescript`
 * namespace of 0.5x, where `languages.typescript` is a deprecated stub in the types).
 */
export type MonacoApi = typeof monacoEditor;
