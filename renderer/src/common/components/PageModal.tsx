import { Modal, type ModalProps } from '@mantine/core'

/**
 * A dialog inside the page's main landmark (so its header is not a second banner of the page), with
 * a close button that says what it does.
 */
export function PageModal(props: Omit<ModalProps, 'withinPortal' | 'closeButtonProps'>) {
  return <Modal {...props} withinPortal={false} closeButtonProps={{ 'aria-label': 'Close' }} />
}
