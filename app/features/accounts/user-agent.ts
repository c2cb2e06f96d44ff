/** A short name for a browser's User-Agent ("Chrome on Android"), or null when it says nothing useful. */
export function describeUserAgent(ua: string | null): string | null {
  if (!ua) return null;
  const browser = [
    [/Edg\//, 'Edge'],
    [/MicroMessenger/, 'WeChat'],
    [/OPR\//, 'Opera'],
    [/Firefox\//, 'Firefox'],
    [/HeadlessChrome|Chrome\/|Chromium\//, 'Chrome'],
    [/Safari\//, 'Safari'],
  ].find(([re]) => (re as RegExp).test(ua))?.[1] as string | undefined;
  const os = [
    [/Android/, 'Android'],
    [/iPhone|iPad|iPod/, 'iOS'],
    [/Windows/, 'Windows'],
    [/Mac OS X|Macintosh/, 'macOS'],
    [/HarmonyOS|OpenHarmony/, 'HarmonyOS'],
    [/Linux/, 'Linux'],
  ].find(([re]) => (re as RegExp).test(ua))?.[1] as string | undefined;
  if (!browser && !os) return ua.slice(0, 60);
  return [browser, os].filter(Boolean).join(' · ');
}
