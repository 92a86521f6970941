/** Room names (docs/architecture.md, "Rooms"). Public rooms never carry names or contact details. */
export const rooms = {
  slots: (doctorId: string) => `slots:${doctorId}`,
  doctor: (doctorId: string) => `doctor:${doctorId}`,
  user: (userId: string) => `user:${userId}`,
  queue: (clinicId: string) => `queue:${clinicId}`,
  display: (clinicId: string) => `display:${clinicId}`,
} as const;
