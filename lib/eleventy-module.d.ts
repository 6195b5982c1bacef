// Declarations for the Eleventy class, which Eleventy 3 ships without types.
declare module "@11ty/eleventy" {
  interface EleventyOptions {
    configPath?: string;
    quietMode?: boolean;
    runMode?: "build" | "serve" | "watch";
  }
  interface WrittenTemplate {
    url: string | false;
    outputPath: string | false;
  }
  export default class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions);
    write(): Promise<[unknown, WrittenTemplate[]]>;
    disableLogger(): void;
  }
}
