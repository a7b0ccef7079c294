// What went wrong before a menu is offered again is said by the reason's text (lib/auth-log/reason-messages.ts).
export type TBuildChallengeMenuOptions = { passcode: boolean; bypass: boolean; pushDevices: string[] };

// Short, plain text: AnyConnect shows it as is above a single input field.
export const buildChallengeMenu = ({ passcode, bypass, pushDevices }: TBuildChallengeMenuOptions): string => {
  const options: string[] = [];
  if (passcode || bypass) options.push(passcode ? "Enter a passcode" : "Enter a bypass code");
  pushDevices.forEach((name, index) => options.push(`${index + 1} for push to ${name || `device ${index + 1}`}`));
  if (options.length === 0) return "No second factor is available.";
  const [first, ...rest] = options;
  const text = rest.length === 0 ? (first ?? "") : `${first}, or ${rest.join(", or ")}`;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
};
