import { ApiError } from '@/api/errors';
import { formatWait, signInErrorMessage } from './signInError';

describe('signInErrorMessage', () => {
  it('shows the problem document’s detail', () => {
    const err = new ApiError('Wrong username or password.', {
      status: 401,
      problem: {
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'Wrong username or password.',
        correlation_id: 'c1',
      },
    });
    expect(signInErrorMessage(err)).toBe('Wrong username or password.');
    const disabled = new ApiError('This account is disabled.', {
      status: 403,
      problem: {
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        detail: 'This account is disabled.',
        correlation_id: 'c2',
      },
    });
    expect(signInErrorMessage(disabled)).toBe('This account is disabled.');
  });
  it('says how long to wait after too many attempts', () => {
    expect(signInErrorMessage(new ApiError('x', { status: 429, retryAfterSeconds: 30 }))).toBe(
      'Too many sign-in attempts. Try again in 30 seconds.',
    );
    expect(signInErrorMessage(new ApiError('x', { status: 429, retryAfterSeconds: 150 }))).toBe(
      'Too many sign-in attempts. Try again in 3 minutes.',
    );
    expect(signInErrorMessage(new ApiError('x', { status: 429 }))).toBe(
      'Too many sign-in attempts. Wait a moment and try again.',
    );
  });
  it('explains a 401 without a problem document, and a server that cannot be reached', () => {
    expect(signInErrorMessage(new ApiError('Sign in to do that.', { status: 401 }))).toBe(
      'Wrong username or password.',
    );
    expect(signInErrorMessage(new ApiError('Could not reach the Kinora server.'))).toBe(
      'Could not reach the Kinora server.',
    );
  });
});

describe('formatWait', () => {
  it('rounds up to a unit a person reads', () => {
    expect(formatWait(0.2)).toBe('1 second');
    expect(formatWait(59)).toBe('59 seconds');
    expect(formatWait(60)).toBe('1 minute');
    expect(formatWait(61)).toBe('2 minutes');
    expect(formatWait(3600)).toBe('1 hour');
    expect(formatWait(3601)).toBe('2 hours');
  });
});
