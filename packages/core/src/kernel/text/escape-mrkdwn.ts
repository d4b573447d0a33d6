/**
 * Escapes text for Slack mrkdwn: `&`, `<` and `>`, so text that came from outside (a PR title, a person's name, what an
 * assistant wrote) cannot mention `@channel`, link, or break the message layout.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
