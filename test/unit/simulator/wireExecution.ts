// An execution as getExecutions sends it over the wire (the simulator's default wire mode), for the
// simulator's tests that read answers the way a client would. Each test names the task fields it reads.
export interface WireExecution<Task> {
  id: string;
  startDate: number;
  endDate: number | null;
  error: string | null;
  failedCount: number;
  successCount: number;
  items: Task[];
}
