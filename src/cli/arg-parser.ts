import { InvalidArgumentError } from "commander";

/** Wraps a pure parser so commander reports its failure as a usage error (exit 2). */
export function argParser<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}
