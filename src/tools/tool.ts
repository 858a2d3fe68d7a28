import type * as v from 'valibot';
import type { CodeTools } from './context.ts';

/**
 * One code tool: what it takes and answers (valibot schemas, the single source of the MCP
 * tool schemas, the HTTP and RPC validation and the result types), what it does, and how
 * its answer reads as text (MCP's text content and the CLI's output).
 */
export interface ToolSpec<P extends v.GenericSchema = v.GenericSchema, R extends v.GenericSchema = v.GenericSchema> {
  name: string;
  title: string;
  /** For an assistant deciding which tool to call. */
  description: string;
  params: P;
  result: R;
  /** Listed as an MCP tool (the rest are JSON-RPC commands only). */
  mcp: boolean;
  /** Changes the index (reindex); everything else only reads. */
  writes?: boolean;
  run(tools: CodeTools, params: v.InferOutput<P>): Promise<v.InferOutput<R>>;
  text(result: v.InferOutput<R>): string;
}

/** Declare a tool; typed against its own schemas, stored as a plain ToolSpec. */
export const tool = <P extends v.GenericSchema, R extends v.GenericSchema>(spec: ToolSpec<P, R>) => spec as unknown as ToolSpec;
