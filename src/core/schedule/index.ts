export {
  parseCron,
  describeCron,
  nextFireTimes,
  validateTimeZone,
  formatFireTimes,
  type CronSchedule,
  type CronFieldName,
  type FireTimeOptions,
  type FireTimeLabel,
} from './cron';
export * from './triggerFunction';
export { TRIGGER_HANDLER_PY } from './handlerSource';
