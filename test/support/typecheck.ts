import { dirname } from 'node:path';
import ts from 'typescript';

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (fileName) => fileName,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => '\n',
};

export interface TypeCheckResult {
  /** Every file the program checked, including the ones it pulled in through imports. */
  checkedFiles: string[];
  /** Compiler diagnostics, formatted as tsc prints them; empty when the code type-checks. */
  errors: string;
}

function check(program: ts.Program): TypeCheckResult {
  return {
    checkedFiles: program.getSourceFiles().map((sourceFile) => sourceFile.fileName),
    errors: ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), formatHost),
  };
}

function readTsconfig(tsconfigPath: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(`${tsconfigPath}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    },
  });
  if (parsed === undefined) throw new Error(`${tsconfigPath} could not be read`);
  if (parsed.errors.length > 0) throw new Error(ts.formatDiagnostics(parsed.errors, formatHost));
  return parsed;
}

/** Type-checks a project exactly as `tsc -p <tsconfigPath> --noEmit` would. */
export function typeCheckProject(tsconfigPath: string): TypeCheckResult {
  const parsed = readTsconfig(tsconfigPath);
  return check(ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true } }));
}

/**
 * Type-checks in-memory sources as if they were files at the given absolute paths, with the compiler options of
 * `tsconfigPath`. Imports resolve from where the files claim to be, so place them inside the repository to
 * reach its node_modules.
 */
export function typeCheckVirtualFiles(virtualFiles: ReadonlyMap<string, string>, tsconfigPath: string): TypeCheckResult {
  const options = { ...readTsconfig(tsconfigPath).options, noEmit: true };
  const diskHost = ts.createCompilerHost(options);
  const virtualDirectories = new Set([...virtualFiles.keys()].map((fileName) => dirname(fileName)));
  const host: ts.CompilerHost = {
    ...diskHost,
    fileExists: (fileName) => virtualFiles.has(fileName) || diskHost.fileExists(fileName),
    directoryExists: (directoryName) => virtualDirectories.has(directoryName) || ts.sys.directoryExists(directoryName),
    readFile: (fileName) => virtualFiles.get(fileName) ?? diskHost.readFile(fileName),
    getSourceFile: (fileName, languageVersion, onError, shouldCreate) => {
      const text = virtualFiles.get(fileName);
      return text === undefined
        ? diskHost.getSourceFile(fileName, languageVersion, onError, shouldCreate)
        : ts.createSourceFile(fileName, text, languageVersion, true);
    },
  };
  return check(ts.createProgram({ rootNames: [...virtualFiles.keys()], options, host }));
}
