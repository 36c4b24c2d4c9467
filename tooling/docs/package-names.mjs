// @ts-check
import { Converter, ReflectionKind } from "typedoc";

/**
 * Names each module after the package it documents: TypeDoc would call
 * packages/core/src/index.ts "core/src"; a reader imports "@taskio/core".
 * @param {import("typedoc").Application} app
 */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const match = /^([\w-]+)\/src$/.exec(module.name);
      if (match) module.name = `@taskio/${match[1]}`;
    }
  });
}
