/**
 * Logging: a ready console logger, and the redaction rules the wire log (`logHttp`,
 * client/steps/log-exchange.ts) applies before a request or a response reaches a logger.
 *
 *   console-logger.ts   consoleLogger({ level }): a Logger writing one line a message
 *   redact.ts           what a log may show of headers, URLs (presigned ones too) and bodies
 *
 * `redactUrl` is public so an application can log a presigned URL safely too.
 */
export { consoleLogger, type ConsoleLoggerOptions, type LogLevel } from "./console-logger.ts";
export { isSecretName, redactAuthorization, redactBodyText, redactHeaders, redactJsonValue, redactUrl, REDACTED } from "./redact.ts";
