// Arrow IPC table files for the stages (stages/README.md): typed columns in, IPC file bytes out,
// and back. Importing this loads apache-arrow; descriptors must not import it.

export { notNaN, rowCount, type BoolColumn, type Column, type ColumnType, type Float64Column, type Int32Column, type Int64Column, type Utf8Column } from './columns.js';
export { arrowTable, encodeTable } from './encode.js';
export { outputPath } from './outputs.js';
export { presentationColumns, readPresentationsFile, TEXT_SUFFIX } from './presentations.js';
export { readTableFile, TableFile } from './read.js';
export { writeTableFile, writeTextFile } from './write.js';
