/**
 * Compile-time checks that a run-time schema describes exactly a TypeScript type:
 * `Assert<Same<z.infer<typeof Schema>, Type>>` fails to compile when the two drift apart.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
export type Assert<T extends true> = T
