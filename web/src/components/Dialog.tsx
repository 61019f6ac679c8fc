import { useEffect, useRef, type ReactNode } from 'react';

/** A modal dialog (native <dialog>: focus trap and Escape come with it). */
export const Dialog = ({ title, children, onClose }: { title: string; children: ReactNode; onClose: () => void }) => {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
    }
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-label={title} onClose={onClose}>
      <h2>{title}</h2>
      {children}
    </dialog>
  );
};

/** Asks before something that cannot be taken back, naming what it will do. */
export const Confirm = ({
  title,
  message,
  confirmLabel,
  onConfirm,
  onCancel,
  typeToConfirm,
}: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  typeToConfirm?: string;
}) => {
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <Dialog title={title} onClose={onCancel}>
      <div>{message}</div>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (typeToConfirm === undefined || inputRef.current?.value === typeToConfirm) {
            onConfirm();
          }
        }}
      >
        {typeToConfirm !== undefined && (
          <label>
            Type <strong>{typeToConfirm}</strong> to confirm
            <input ref={inputRef} name="confirmation" autoComplete="off" required pattern={typeToConfirm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} />
          </label>
        )}
        <div className="actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="danger">
            {confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
};

export const CopyButton = ({ text, label = 'Copy' }: { text: string; label?: string }) => (
  <button type="button" onClick={() => void navigator.clipboard?.writeText(text)} aria-label={label}>
    {label}
  </button>
);
