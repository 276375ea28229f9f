export {
  parseCron,
  describeCron,
  nextFireTimes,
  validateTimeZone,
  type CronSchedule,
  type CronFieldName,
  type FireTimeOptions,
} from './cron';
export * from './triggerFunction';
export { TRIGGER_HANDLER_PY } from './handlerSource';
