// tesseract.js's browser build as an ES module: the package's own entry is CommonJS, whose interop helpers the
// bundler would hoist into a chunk that the popup's first paint loads.
declare module 'tesseract.js/dist/tesseract.esm.min.js' {
  import Tesseract from 'tesseract.js';
  export default Tesseract;
}
