/**
 * Repository tags as docker and podman accept them in an archive's RepoTags (the grammar of the
 * distribution reference: [domain/]path[:tag], lower-case path components). A tag without
 * ":tag" gets ":latest", as `docker tag` would give it: `docker load` refuses a RepoTag without one.
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const NAME = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const MAX_NAME = 255;

/** The normalised tag ("name:tag"), or throws an Error whose message is one line for the user. */
export function normaliseTag(text: string): string {
  const bad = (why: string): never => {
    throw new Error(`bad --tag "${text}": ${why}`);
  };
  if (text.includes('@')) bad('a digest (@sha256:...) cannot be a tag');
  const slash = text.lastIndexOf('/');
  const colon = text.lastIndexOf(':');
  const [name, tag] = colon > slash ? [text.slice(0, colon), text.slice(colon + 1)] : [text, 'latest'];
  if (name === '') bad('the repository name is empty');
  if (name.length > MAX_NAME) bad(`the repository name is longer than ${MAX_NAME} characters`);
  if (!NAME.test(name)) bad('repository names are lower-case letters, digits and separators (. _ __ -), with an optional registry host, e.g. golf/hello or localhost:5000/hello');
  if (!TAG.test(tag)) bad('a tag is 1 to 128 letters, digits, _ . or -, not starting with . or -');
  return `${name}:${tag}`;
}
