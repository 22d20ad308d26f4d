// Types for eslint.layering.js, which the lint configuration loads as plain JavaScript.
export interface Layer {
  name: string;
  files: string[];
  workspaces: string[];
  typesOnly?: string[];
  libraries?: string[];
  why: string;
}
export interface TestLayer {
  name: string;
  root: string;
  banned: string[];
  why: string;
}
export const LAYERS: Layer[];
export const TEST_LAYERS: TestLayer[];
export const layeringConfigs: object[];
