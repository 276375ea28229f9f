// The task tree of an execution lives in core (the language-model tools use it without VS Code).
export * from '../../core/executions/taskTree';
