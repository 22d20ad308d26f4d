import { redirect } from 'next/navigation';

export default function SettingsHome(): never {
  redirect('/settings/tokens');
}
