/**
 * @stratus/core/testing: helpers for testing code that uses Stratus clients without AWS.
 * Kept out of the main entry point so an application's bundle never carries them.
 */
export {};
