/**
 * Worker thread that hashes files (./next-file.ts hashFile) for ./hash-thread.ts: reading a whole
 * file costs as much as the file is large, so it never runs on the thread that serves the person.
 * Built as its own entry (`out/main/hash-worker.js`). A request is a file's path; the answer its SHA-256.
 */
import { serveRequests } from '../kept-worker'
import { hashFile } from './next-file'

serveRequests((path: string) => hashFile(path))
