// The task tree lives in core (the language-model tools use it too); the tree and documents import it from here.
export * from '../../core/executions/taskTree';
