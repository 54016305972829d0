import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BrokerError } from '../errors';
import { writeFileAtomically } from '../storage/file-io';
import { aclBindingOf, aclEntryOf, type AclBinding, type AclEntry } from './acl';

/** Format version of `security/acls.json`, so a later layout can be told apart. */
const FORMAT_VERSION = 1;

interface AclFileContent {
  readonly version: number;
  readonly acls: AclBinding[];
}

/** The ACL file is unreadable or holds a binding that is not one; the broker refuses to start. */
export class AclFileError extends BrokerError {
  /** Starting again reads the same file. */
  readonly retriable = false;

  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`ACL file ${path}: ${reason}`, options);
  }
}

/**
 * The ACLs created through CreateAcls, in `<dataDir>/security/acls.json` (bindings in the same
 * form as `security.acls` of the options, which are never written here). The file is replaced
 * whole (temporary file, fdatasync, rename, directory fsync) before CreateAcls or DeleteAcls is
 * answered, so an acknowledged change survives a crash and a torn write is never read.
 */
export class AclFile {
  readonly path: string;

  constructor(private readonly dataDir: string) {
    this.path = join(dataDir, 'security', 'acls.json');
  }

  /** The stored bindings; none when the file does not exist yet. @throws AclFileError */
  async load(): Promise<AclEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new AclFileError(this.path, 'cannot be read', { cause: error });
    }
    let content: AclFileContent;
    try {
      content = JSON.parse(text) as AclFileContent;
    } catch (error) {
      throw new AclFileError(this.path, 'is not JSON', { cause: error });
    }
    if (content.version !== FORMAT_VERSION || !Array.isArray(content.acls)) {
      throw new AclFileError(this.path, `is not an ACL file of version ${FORMAT_VERSION}`);
    }
    return content.acls.map((binding, index) => {
      try {
        return aclEntryOf(binding);
      } catch (error) {
        throw new AclFileError(this.path, `binding ${index}: ${(error as Error).message}`);
      }
    });
  }

  async save(entries: readonly AclEntry[]): Promise<void> {
    await mkdir(join(this.dataDir, 'security'), { recursive: true });
    const content: AclFileContent = { version: FORMAT_VERSION, acls: entries.map(aclBindingOf) };
    await writeFileAtomically(this.path, `${JSON.stringify(content, null, 2)}\n`);
  }
}
