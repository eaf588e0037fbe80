// A stand-in for Instagram's two-factor login step (https://www.instagram.com/accounts/login/two_factor/), built
// with real React as the original is: the code field is a controlled input (value from state, onChange), "Use a
// backup code" swaps it for another input element, and "Confirm" is a type=button button with no <form> around it.
// Only the generic labels are borrowed; none of Instagram's code or copy.
//
// What the page accepts, so that tests can tell a good fill from a bad one:
// - any 8-digit code, separators ignored, once (localStorage remembers used codes, as the real site does);
// - with ?refuse=1 the first submitted code is refused and a new, empty field is rendered in its place.
// window.submittedCodes lists every submitted value, in order.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';

declare global {
  interface Window {
    submittedCodes: string[];
  }
}

const REFUSE_FIRST = new URLSearchParams(location.search).get('refuse') === '1';
const USED_KEY = 'used-backup-codes';
window.submittedCodes = [];

type Field = 'security-code' | 'backup-code';

/** An error message for a refused code, or null when the page accepts it. */
function verdict(value: string, field: Field): string | null {
  const digits = value.replace(/[\s-]/g, '');
  const used: string[] = JSON.parse(localStorage.getItem(USED_KEY) ?? '[]');
  if (REFUSE_FIRST && window.submittedCodes.length === 1)
    return "That code isn't valid. Try another backup code.";
  if (field === 'security-code' && /^\d{6}$/.test(digits))
    return 'This demo sends no SMS: use a backup code.';
  if (!/^\d{8}$/.test(digits)) return "That code isn't valid. Try another backup code.";
  if (used.includes(digits)) return 'That backup code has already been used. Try another one.';
  localStorage.setItem(USED_KEY, JSON.stringify([...used, digits]));
  return null;
}

function TwoFactor() {
  const [field, setField] = useState<Field>('security-code');
  const [code, setCode] = useState('');
  // Bumped after a refused code: the field's key changes, so React renders a new input element.
  const [attempt, setAttempt] = useState(0);
  const [error, setError] = useState('');
  const [loggedIn, setLoggedIn] = useState(false);

  const confirm = () => {
    window.submittedCodes.push(code);
    const refusal = verdict(code, field);
    if (refusal === null) {
      setLoggedIn(true);
    } else {
      setError(refusal);
      setCode('');
      setAttempt((n) => n + 1);
    }
  };

  if (loggedIn) {
    return (
      <main>
        <h1>You're logged in</h1>
        <p>Welcome back. This was a demo page: nothing was sent anywhere.</p>
      </main>
    );
  }

  const backup = field === 'backup-code';
  return (
    <main>
      <h1>Two-factor authentication</h1>
      <p>
        {backup
          ? 'Enter one of the 8-digit backup codes you saved when you turned on two-factor authentication.'
          : 'Enter the 6-digit code sent to your phone, or the code from your authentication app.'}
      </p>
      <div className="fields">
        <label htmlFor={field}>{backup ? 'Backup code' : 'Security code'}</label>
        <input
          key={`${field}-${attempt}`}
          id={field}
          name={backup ? 'backupCode' : 'verificationCode'}
          type="text"
          inputMode="numeric"
          autoComplete={backup ? 'off' : 'one-time-code'}
          autoFocus={backup}
          value={code}
          onChange={(event) => setCode(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && code.trim() !== '') confirm();
          }}
        />
        <button type="button" disabled={code.trim() === ''} onClick={confirm}>
          Confirm
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
      {!backup && (
        <p>
          <button
            type="button"
            className="link"
            onClick={() => {
              setField('backup-code');
              setCode('');
              setError('');
            }}
          >
            Use a backup code
          </button>
        </p>
      )}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<TwoFactor />);
