import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, ts } from 'ts-morph';

const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/**
 * Type-checks rewritten files in memory (nothing is written) against lib, @types/node and the installed
 * undici types. axios, got and React are not installed in this repository, so `fixtures/ambient-clients.d.ts`
 * and `fixtures/ambient-react.d.ts` declare the small part of their API the fixtures use (JSX included, so
 * that a `.tsx` fixture is checked as strictly as a `.ts` one).
 */
export function typeErrors(files: ReadonlyArray<{ path: string; text: string }>): string[] {
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: false,
    compilerOptions: {
      target: ts.ScriptTarget.ES2023,
      lib: ['lib.es2023.d.ts'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowJs: true,
      checkJs: false,
      jsx: ts.JsxEmit.Preserve,
    },
  });
  project.addSourceFileAtPath(path.join(fixturesDir, 'ambient-clients.d.ts'));
  project.addSourceFileAtPath(path.join(fixturesDir, 'ambient-react.d.ts'));
  const sourceFiles = files.map((file) => project.createSourceFile(file.path, file.text, { overwrite: true }));
  project.resolveSourceFileDependencies();
  return sourceFiles.flatMap((sourceFile) =>
    project
      .getProgram()
      .getSemanticDiagnostics(sourceFile)
      .concat(project.getProgram().getSyntacticDiagnostics(sourceFile))
      .map((diagnostic) => {
        const line = diagnostic.getLineNumber() ?? 0;
        const message = diagnostic.getMessageText();
        return `${path.relative(fixturesDir, sourceFile.getFilePath())}:${String(line)} ${typeof message === 'string' ? message : message.getMessageText()}`;
      }),
  );
}

export { fixturesDir };
