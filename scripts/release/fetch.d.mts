export function pinOf(name: string): { version: string; integrity: string };
export function fetchPinned(name: string): string;
