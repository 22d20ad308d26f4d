'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Role } from '@/lib/auth-client';
import { issuesByField } from '@/lib/field-issues';
import { errorMessage } from '@/lib/format';
import { useTRPC } from '@/trpc/client';
import { FormField } from './form-field';
import { useSession } from '@/trpc/session';
import type { RouterOutputs } from '@/trpc/types';
import { ConfirmDialog } from './confirm-dialog';
import { DataTable, timeColumn, type DataTableProps } from './data-table';
import { EmptyState } from './empty-state';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';
import { Section } from './section';

type Member = RouterOutputs['admin']['users']['list'][number];

const ROLES: Array<{ role: Role; help: string }> = [
  { role: 'viewer', help: 'sees the team’s jobs, models and logs; changes nothing' },
  { role: 'member', help: 'also creates, stops and retries jobs and registers models' },
  { role: 'admin', help: 'also manages the team’s users and reads its audit log' },
];

const input = 'mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900 focus:border-blue-700 focus:outline-none focus:ring-2 focus:ring-blue-700/30 aria-[invalid=true]:border-red-700';

/** A member's row: who, their role (a select that changes it), how they sign in, and Remove. `self` marks the signed-in user. */
function memberColumns({
  self,
  setRole,
  changing,
  onRemove,
  removing,
}: {
  self: string | undefined;
  setRole: (email: string, role: Role) => void;
  changing: boolean;
  onRemove: (user: Member) => void;
  removing: boolean;
}): DataTableProps<Member>['columns'] {
  return [
    {
      id: 'email',
      header: 'Email',
      meta: { className: 'font-medium' },
      cell: ({ row: { original: user } }) => (
        <>
          {user.email}
          {user.email === self && <span className="ml-1 text-xs font-normal text-slate-600">(you)</span>}
        </>
      ),
    },
    { id: 'name', header: 'Name', cell: ({ row }) => row.original.name ?? '—' },
    {
      id: 'role',
      header: 'Role',
      cell: ({ row: { original: user } }) => (
        <>
          <label className="sr-only" htmlFor={`role-${user.email}`}>
            Role of {user.email}
          </label>
          <select
            id={`role-${user.email}`}
            value={user.role}
            disabled={changing}
            onChange={(e) => setRole(user.email, e.target.value as Role)}
            data-col="role"
            className="rounded border border-slate-400 bg-white px-2 py-1 text-sm text-slate-900 disabled:opacity-60"
          >
            {ROLES.map(({ role }) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </>
      ),
    },
    { id: 'signsInWith', header: 'Signs in with', cell: ({ row }) => (row.original.hasPassword ? 'password' : 'identity provider') },
    timeColumn('memberSince', 'Member since', (user) => user.memberSince),
    timeColumn('lastSignIn', 'Last sign-in', (user) => user.lastSignInAt, { missing: 'never' }),
    {
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      meta: { align: 'right' },
      cell: ({ row: { original: user } }) => (
        <button type="button" onClick={() => onRemove(user)} disabled={removing} className="rounded border border-red-700 bg-white px-2.5 py-1 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-60">
          Remove<span className="sr-only"> {user.email}</span>
        </button>
      ),
    },
  ];
}

/** A team's members and their roles (admins only): add a user, change a role, remove from the team. */
export function UsersAdmin() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSession();
  const [removing, setRemoving] = useState<Member | null>(null);
  const users = useQuery(trpc.admin.users.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
  const setRole = useMutation(trpc.admin.users.setRole.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.admin.users.remove.mutationOptions({ onSettled: refresh }));
  const failure = setRole.error ?? remove.error;

  return (
    <div className="space-y-8">
      <Section title={`Members of ${session?.team ?? 'the team'}`} id="members">
        {users.isPending ? (
          <LoadingState label="Loading users…" rows={3} />
        ) : users.isError ? (
          <ErrorMessage title="Could not load the team's users" error={users.error} onRetry={() => void users.refetch()} />
        ) : (
          <DataTable
            columns={memberColumns({ self: session?.user.email, setRole: (email, role) => setRole.mutate({ email, role }), changing: setRole.isPending, onRemove: setRemoving, removing: remove.isPending })}
            data={users.data}
            rowId={(user) => user.email}
            rowProps={(user) => ({ 'data-user': user.email })}
            caption="Members of the team"
            empty={
              <EmptyState title="No users yet">
                Add one below, or with <code className="rounded bg-slate-100 px-1 font-mono">sluice users create</code>.
              </EmptyState>
            }
          />
        )}
        {failure && (
          <p role="alert" className="text-sm text-red-800">
            {errorMessage(failure)}
          </p>
        )}
        <dl className="grid gap-x-3 gap-y-1 text-sm text-slate-700 sm:grid-cols-[max-content_1fr]">
          {ROLES.map(({ role, help }) => (
            <div key={role} className="contents">
              <dt className="font-medium text-slate-900">{role}</dt>
              <dd>{help}</dd>
            </div>
          ))}
        </dl>
      </Section>
      <AddUserForm onAdded={refresh} />
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.email ?? ''} from ${session?.team ?? 'the team'}?`}
        confirmLabel="Remove user"
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (removing) remove.mutate({ email: removing.email });
          setRemoving(null);
        }}
      >
        They lose access to the team’s jobs, models and logs at once, and their sessions and tokens for this team stop working. Jobs they ran keep their name as creator.
      </ConfirmDialog>
    </div>
  );
}

function AddUserForm({ onAdded }: { onAdded: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('member');
  const create = useMutation(
    trpc.admin.users.create.mutationOptions({
      onSuccess: async () => {
        setEmail('');
        setName('');
        setRole('member');
        await onAdded();
      },
    }),
  );
  const issues = create.isError ? issuesByField(create.error) : {};
  const otherError = create.isError && !Object.keys(issues).some((field) => ['email', 'name', 'role'].includes(field));

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ email: email.trim(), role, ...(name.trim() ? { name: name.trim() } : {}) });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="add-user" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <div>
        <h2 id="add-user" className="text-lg font-semibold text-slate-900">
          Add a user
        </h2>
        <p className="text-sm text-slate-700">An existing Sluice user joins this team with the role; a new one is created. New users sign in with the team’s identity provider, or with a password the operator sets (<code className="rounded bg-slate-100 px-1 font-mono">sluice users set-password</code>): a team admin cannot choose one, because an account is shared by every team it joins.</p>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label="Email" error={issues.email}>
          {(props) => <input {...props} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} className={input} />}
        </FormField>
        <FormField label="Name" optional error={issues.name}>
          {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} className={input} />}
        </FormField>
        <FormField label="Role" error={issues.role}>
          {(props) => (
            <select {...props} value={role} onChange={(e) => setRole(e.target.value as Role)} className={input}>
              {ROLES.map(({ role: r }) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      {otherError && (
        <p role="alert" className="text-sm text-red-800">
          {errorMessage(create.error)}
        </p>
      )}
      {create.isSuccess && (
        <p role="status" className="text-sm text-green-800">
          Added {create.variables.email} as {create.variables.role}.
        </p>
      )}
      <button type="submit" disabled={create.isPending} className="rounded bg-blue-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {create.isPending ? 'Adding…' : 'Add user'}
      </button>
    </form>
  );
}


